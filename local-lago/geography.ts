// Country codes and timezones Lago accepts on customers (lago-api.md §4.2; the same lists as the
// OpenAPI Country and Timezone enums).

/** ISO 3166-1 alpha-2 codes. */
export const COUNTRIES: ReadonlySet<string> = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ " +
    "BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR " +
    "CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU " +
    "ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ " +
    "LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ " +
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF " +
    "PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI " +
    "SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR " +
    "TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
  ).split(" "),
);

/** Timezone names Lago maps (Rails' zone list, IANA spelling). */
export const TIMEZONES: ReadonlySet<string> = new Set(
  (
    "UTC Africa/Algiers Africa/Cairo Africa/Casablanca Africa/Harare Africa/Johannesburg " +
    "Africa/Monrovia Africa/Nairobi America/Argentina/Buenos_Aires America/Bogota America/Caracas America/Chicago " +
    "America/Chihuahua America/Denver America/Guatemala America/Guyana America/Halifax America/Indiana/Indianapolis " +
    "America/Juneau America/La_Paz America/Lima America/Los_Angeles America/Mazatlan America/Mexico_City " +
    "America/Monterrey America/Montevideo America/New_York America/Nuuk America/Phoenix America/Puerto_Rico " +
    "America/Regina America/Santiago America/Sao_Paulo America/St_Johns America/Tijuana Asia/Almaty " +
    "Asia/Baghdad Asia/Baku Asia/Bangkok Asia/Chongqing Asia/Colombo Asia/Dhaka " +
    "Asia/Hong_Kong Asia/Irkutsk Asia/Jakarta Asia/Jerusalem Asia/Kabul Asia/Kamchatka " +
    "Asia/Karachi Asia/Kathmandu Asia/Kolkata Asia/Krasnoyarsk Asia/Kuala_Lumpur Asia/Kuwait " +
    "Asia/Magadan Asia/Muscat Asia/Novosibirsk Asia/Riyadh Asia/Seoul Asia/Shanghai " +
    "Asia/Singapore Asia/Srednekolymsk Asia/Taipei Asia/Tashkent Asia/Tbilisi Asia/Tehran " +
    "Asia/Tokyo Asia/Ulaanbaatar Asia/Urumqi Asia/Vladivostok Asia/Yakutsk Asia/Yangon " +
    "Asia/Yekaterinburg Asia/Yerevan Atlantic/Azores Atlantic/Cape_Verde Atlantic/South_Georgia Australia/Adelaide " +
    "Australia/Brisbane Australia/Darwin Australia/Hobart Australia/Melbourne Australia/Perth Australia/Sydney " +
    "Europe/Amsterdam Europe/Athens Europe/Belgrade Europe/Berlin Europe/Bratislava Europe/Brussels " +
    "Europe/Bucharest Europe/Budapest Europe/Copenhagen Europe/Dublin Europe/Helsinki Europe/Istanbul " +
    "Europe/Kaliningrad Europe/Kyiv Europe/Lisbon Europe/Ljubljana Europe/London Europe/Madrid " +
    "Europe/Minsk Europe/Moscow Europe/Paris Europe/Prague Europe/Riga Europe/Rome " +
    "Europe/Samara Europe/Sarajevo Europe/Skopje Europe/Sofia Europe/Stockholm Europe/Tallinn " +
    "Europe/Vienna Europe/Vilnius Europe/Volgograd Europe/Warsaw Europe/Zagreb Europe/Zurich " +
    "GMT+12 Pacific/Apia Pacific/Auckland Pacific/Chatham Pacific/Fakaofo Pacific/Fiji " +
    "Pacific/Guadalcanal Pacific/Guam Pacific/Honolulu Pacific/Majuro Pacific/Midway Pacific/Noumea " +
    "Pacific/Pago_Pago Pacific/Port_Moresby Pacific/Tongatapu"
  ).split(" "),
);

/** The IANA name Intl understands for a Lago timezone (Lago spells UTC-12 as "GMT+12"). */
export const ianaTimezone = (timezone: string): string => (timezone === "GMT+12" ? "Etc/GMT+12" : timezone);
