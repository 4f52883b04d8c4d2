// Currency codes Lago v1.51.0 accepts for plans, add-ons, coupons and customers: its own accepted list,
// which is the OpenAPI Currency enum plus BHD, IRR, JOD and KWD. Lago compares the code as sent, so
// only upper case passes. The local Lago validates against this same list.
export const LAGO_CURRENCIES: ReadonlySet<string> = new Set(
  (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BWP BYN BZD CAD CDF " +
    "CHF CLF CLP CNY COP CRC CVE CZK DJF DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD " +
    "HNL HRK HTG HUF IDR ILS INR IRR ISK JMD JOD JPY KES KGS KHR KMF KRW KWD KYD KZT LAK LBP LKR LRD LSL MAD " +
    "MDL MGA MKD MMK MNT MOP MRO MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN PYG " +
    "QAR RON RSD RUB RWF SAR SBD SCR SEK SGD SHP SLL SOS SRD STD SZL THB TJS TOP TRY TTD TWD TZS UAH UGX USD " +
    "UYU UZS VND VUV WST XAF XCD XOF XPF YER ZAR ZMW"
  ).split(" "),
);

/** True for a code in Lago's list, exactly as written (`usd` is not). */
export const isLagoCurrency = (value: unknown): value is string => typeof value === "string" && LAGO_CURRENCIES.has(value);
