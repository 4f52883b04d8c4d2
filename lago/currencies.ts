// Lago's currency contract, shared by the provider and the local Lago: data only, no logic.

/**
 * Currency codes Lago v1.51.0 accepts for plans, add-ons, coupons and customers: its own accepted list,
 * which is the OpenAPI Currency enum plus BHD, IRR, JOD and KWD. Lago compares the code as sent, so
 * only upper case passes.
 */
export const LAGO_CURRENCY_CODES = [
  ..."AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BWP BYN BZD CAD CDF".split(" "),
  ..."CHF CLF CLP CNY COP CRC CVE CZK DJF DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD".split(" "),
  ..."HNL HRK HTG HUF IDR ILS INR IRR ISK JMD JOD JPY KES KGS KHR KMF KRW KWD KYD KZT LAK LBP LKR LRD LSL MAD".split(" "),
  ..."MDL MGA MKD MMK MNT MOP MRO MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN PYG".split(" "),
  ..."QAR RON RSD RUB RWF SAR SBD SCR SEK SGD SHP SLL SOS SRD STD SZL THB TJS TOP TRY TTD TWD TZS UAH UGX USD".split(" "),
  ..."UYU UZS VND VUV WST XAF XCD XOF XPF YER ZAR ZMW".split(" "),
] as const satisfies readonly string[];

/** The same list as a set, for membership checks. */
export const LAGO_CURRENCIES: ReadonlySet<string> = new Set(LAGO_CURRENCY_CODES);

/**
 * Minor units per unit where it is not 100 (Lago rounds fees with the money gem's table): 1 for
 * zero-decimal currencies, 1000 for three-decimal ones, 10,000 for CLF and 5 for MGA and MRO.
 */
export const CURRENCY_SUBUNITS_EXCEPTIONS: Readonly<Record<string, number>> = {
  BIF: 1, CLP: 1, DJF: 1, GNF: 1, ISK: 1, JPY: 1, KMF: 1, KRW: 1, PYG: 1, RWF: 1, UGX: 1, VND: 1, VUV: 1, XAF: 1, XOF: 1, XPF: 1,
  BHD: 1000, IQD: 1000, JOD: 1000, KWD: 1000, LYD: 1000, OMR: 1000, TND: 1000,
  CLF: 10_000,
  MGA: 5,
  MRO: 5,
};

/** Every other currency has 100 minor units. */
export const DEFAULT_CURRENCY_SUBUNITS = 100;
