//! Month and weekday names of the languages locale tags name
//! ([`super::locale::Language`]), as CLDR gives them (its stand-alone
//! forms; its format forms for months after a day number where the
//! language declines them), which is what Windows and so Excel show
//! for these languages but in the details noted at each table.

/// One language's month and weekday names.
pub(super) struct Names {
    /// Months, January first, as named alone (`mmmm`).
    pub(super) months: [&'static str; 12],
    /// Months as named after a day number, where the language declines
    /// them (`None`: the same as `months`).
    pub(super) months_after_day: Option<[&'static str; 12]>,
    /// Abbreviated months (`mmm`); `None`: the first three letters.
    pub(super) short_months: Option<[&'static str; 12]>,
    /// Weekdays, Sunday first (`dddd`).
    pub(super) days: [&'static str; 7],
    /// Abbreviated weekdays (`ddd`); `None`: the first three letters.
    pub(super) short_days: Option<[&'static str; 7]>,
}

/// English, the default.
pub(super) const ENGLISH: Names = Names {
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    months_after_day: None,
    short_months: None,
    days: [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ],
    short_days: None,
};

/// Czech: months in the genitive after a day number.
pub(super) const CZECH: Names = Names {
    months: [
        "leden",
        "únor",
        "březen",
        "duben",
        "květen",
        "červen",
        "červenec",
        "srpen",
        "září",
        "říjen",
        "listopad",
        "prosinec",
    ],
    months_after_day: Some([
        "ledna",
        "února",
        "března",
        "dubna",
        "května",
        "června",
        "července",
        "srpna",
        "září",
        "října",
        "listopadu",
        "prosince",
    ]),
    short_months: Some([
        "led", "úno", "bře", "dub", "kvě", "čvn", "čvc", "srp", "zář", "říj", "lis", "pro",
    ]),
    days: [
        "neděle",
        "pondělí",
        "úterý",
        "středa",
        "čtvrtek",
        "pátek",
        "sobota",
    ],
    short_days: Some(["ne", "po", "út", "st", "čt", "pá", "so"]),
};

/// German.
pub(super) const GERMAN: Names = Names {
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    months_after_day: None,
    short_months: Some([
        "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez",
    ]),
    days: [
        "Sonntag",
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
    ],
    short_days: Some(["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"]),
};

/// German as Austria writes it: January is `Jänner`.
pub(super) const GERMAN_AUSTRIA: Names = {
    let mut names = GERMAN;
    names.months[0] = "Jänner";
    if let Some(short) = &mut names.short_months {
        short[0] = "Jän";
    }
    names
};

/// French.
pub(super) const FRENCH: Names = Names {
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    months_after_day: None,
    short_months: Some([
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ]),
    days: [
        "dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
    ],
    short_days: Some(["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."]),
};

/// Italian.
pub(super) const ITALIAN: Names = Names {
    months: [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    months_after_day: None,
    short_months: Some([
        "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
    ]),
    days: [
        "domenica",
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
    ],
    short_days: Some(["dom", "lun", "mar", "mer", "gio", "ven", "sab"]),
};

/// Spanish.
pub(super) const SPANISH: Names = Names {
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    months_after_day: None,
    short_months: Some([
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
    ]),
    days: [
        "domingo",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
    ],
    short_days: Some(["dom", "lun", "mar", "mié", "jue", "vie", "sáb"]),
};

/// Polish: months in the genitive after a day number.
pub(super) const POLISH: Names = Names {
    months: [
        "styczeń",
        "luty",
        "marzec",
        "kwiecień",
        "maj",
        "czerwiec",
        "lipiec",
        "sierpień",
        "wrzesień",
        "październik",
        "listopad",
        "grudzień",
    ],
    months_after_day: Some([
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ]),
    short_months: Some([
        "sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru",
    ]),
    days: [
        "niedziela",
        "poniedziałek",
        "wtorek",
        "środa",
        "czwartek",
        "piątek",
        "sobota",
    ],
    short_days: Some(["niedz.", "pon.", "wt.", "śr.", "czw.", "pt.", "sob."]),
};

/// Japanese: weekdays in Japanese (`[$-ja]dddd` shows `金曜日`), months
/// by the English names (Japanese writes months as numbers, `m月`).
pub(super) const JAPANESE: Names = Names {
    days: [
        "日曜日",
        "月曜日",
        "火曜日",
        "水曜日",
        "木曜日",
        "金曜日",
        "土曜日",
    ],
    short_days: Some(["日", "月", "火", "水", "木", "金", "土"]),
    ..ENGLISH
};

/// Portuguese as Brazil writes it (`[$-416]`).
pub(super) const PORTUGUESE: Names = Names {
    months: [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    months_after_day: None,
    short_months: Some([
        "jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.",
        "dez.",
    ]),
    days: [
        "domingo",
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
        "sábado",
    ],
    short_days: Some(["dom.", "seg.", "ter.", "qua.", "qui.", "sex.", "sáb."]),
};

/// Portuguese as Portugal writes it: weekdays abbreviate without a dot.
pub(super) const PORTUGUESE_PORTUGAL: Names = Names {
    short_days: Some([
        "domingo", "segunda", "terça", "quarta", "quinta", "sexta", "sábado",
    ]),
    ..PORTUGUESE
};

/// Dutch.
pub(super) const DUTCH: Names = Names {
    months: [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    months_after_day: None,
    short_months: Some([
        "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ]),
    days: [
        "zondag",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
    ],
    short_days: Some(["zo", "ma", "di", "wo", "do", "vr", "za"]),
};

/// Slovak: months in the genitive after a day number.
pub(super) const SLOVAK: Names = Names {
    months: [
        "január",
        "február",
        "marec",
        "apríl",
        "máj",
        "jún",
        "júl",
        "august",
        "september",
        "október",
        "november",
        "december",
    ],
    months_after_day: Some([
        "januára",
        "februára",
        "marca",
        "apríla",
        "mája",
        "júna",
        "júla",
        "augusta",
        "septembra",
        "októbra",
        "novembra",
        "decembra",
    ]),
    short_months: Some([
        "jan", "feb", "mar", "apr", "máj", "jún", "júl", "aug", "sep", "okt", "nov", "dec",
    ]),
    days: [
        "nedeľa", "pondelok", "utorok", "streda", "štvrtok", "piatok", "sobota",
    ],
    short_days: Some(["ne", "po", "ut", "st", "št", "pi", "so"]),
};

/// Hungarian.
pub(super) const HUNGARIAN: Names = Names {
    months: [
        "január",
        "február",
        "március",
        "április",
        "május",
        "június",
        "július",
        "augusztus",
        "szeptember",
        "október",
        "november",
        "december",
    ],
    months_after_day: None,
    short_months: Some([
        "jan.", "febr.", "márc.", "ápr.", "máj.", "jún.", "júl.", "aug.", "szept.", "okt.", "nov.",
        "dec.",
    ]),
    days: [
        "vasárnap",
        "hétfő",
        "kedd",
        "szerda",
        "csütörtök",
        "péntek",
        "szombat",
    ],
    short_days: Some(["V", "H", "K", "Sze", "Cs", "P", "Szo"]),
};

/// Swedish.
pub(super) const SWEDISH: Names = Names {
    months: [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ],
    months_after_day: None,
    short_months: Some([
        "jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.",
        "dec.",
    ]),
    days: [
        "söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag",
    ],
    short_days: Some(["sön", "mån", "tis", "ons", "tors", "fre", "lör"]),
};

/// Danish.
pub(super) const DANISH: Names = Names {
    months: [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ],
    months_after_day: None,
    short_months: Some([
        "jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.",
        "dec.",
    ]),
    days: [
        "søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag",
    ],
    short_days: Some(["søn.", "man.", "tirs.", "ons.", "tors.", "fre.", "lør."]),
};

/// Finnish: months in the partitive after a day number (`5. maaliskuuta`).
pub(super) const FINNISH: Names = Names {
    months: [
        "tammikuu",
        "helmikuu",
        "maaliskuu",
        "huhtikuu",
        "toukokuu",
        "kesäkuu",
        "heinäkuu",
        "elokuu",
        "syyskuu",
        "lokakuu",
        "marraskuu",
        "joulukuu",
    ],
    months_after_day: Some([
        "tammikuuta",
        "helmikuuta",
        "maaliskuuta",
        "huhtikuuta",
        "toukokuuta",
        "kesäkuuta",
        "heinäkuuta",
        "elokuuta",
        "syyskuuta",
        "lokakuuta",
        "marraskuuta",
        "joulukuuta",
    ]),
    short_months: Some([
        "tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka",
        "marras", "joulu",
    ]),
    days: [
        "sunnuntai",
        "maanantai",
        "tiistai",
        "keskiviikko",
        "torstai",
        "perjantai",
        "lauantai",
    ],
    short_days: Some(["su", "ma", "ti", "ke", "to", "pe", "la"]),
};

/// Norwegian Bokmål.
pub(super) const NORWEGIAN: Names = Names {
    months: [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ],
    months_after_day: None,
    short_months: Some([
        "jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des",
    ]),
    days: [
        "søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag",
    ],
    short_days: Some(["søn.", "man.", "tir.", "ons.", "tor.", "fre.", "lør."]),
};

/// Russian, as Windows names it: months in the nominative, capitalised
/// (`Март`), after a day number too; the genitive takes a tag of its own
/// (`[$-FC19]`, `x-genlower`), see [`super::locale::Language`].
pub(super) const RUSSIAN: Names = Names {
    months: [
        "Январь",
        "Февраль",
        "Март",
        "Апрель",
        "Май",
        "Июнь",
        "Июль",
        "Август",
        "Сентябрь",
        "Октябрь",
        "Ноябрь",
        "Декабрь",
    ],
    months_after_day: None,
    short_months: Some([
        "янв.",
        "февр.",
        "март",
        "апр.",
        "май",
        "июнь",
        "июль",
        "авг.",
        "сент.",
        "окт.",
        "нояб.",
        "дек.",
    ]),
    days: [
        "воскресенье",
        "понедельник",
        "вторник",
        "среда",
        "четверг",
        "пятница",
        "суббота",
    ],
    short_days: Some(["вс", "пн", "вт", "ср", "чт", "пт", "сб"]),
};

/// Russian months in the genitive (`[$-FC19]`, `[$-ru-RU-x-genlower]`).
pub(super) const RUSSIAN_GENITIVE: Names = Names {
    months: [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    ..RUSSIAN
};

/// Russian months in the genitive, capitalised (`[$-ru-RU-x-genupper]`).
pub(super) const RUSSIAN_GENITIVE_UPPER: Names = Names {
    months: [
        "Января",
        "Февраля",
        "Марта",
        "Апреля",
        "Мая",
        "Июня",
        "Июля",
        "Августа",
        "Сентября",
        "Октября",
        "Ноября",
        "Декабря",
    ],
    ..RUSSIAN
};

/// Russian months in the nominative, lower case (`[$-F419]`,
/// `[$-ru-RU-x-nomlower]`).
pub(super) const RUSSIAN_NOMINATIVE_LOWER: Names = Names {
    months: [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ],
    ..RUSSIAN
};

/// Ukrainian: months in the nominative, after a day number too; the
/// genitive takes a tag of its own (`[$-FC22]`).
pub(super) const UKRAINIAN: Names = Names {
    months: [
        "січень",
        "лютий",
        "березень",
        "квітень",
        "травень",
        "червень",
        "липень",
        "серпень",
        "вересень",
        "жовтень",
        "листопад",
        "грудень",
    ],
    months_after_day: None,
    short_months: Some([
        "січ.",
        "лют.",
        "бер.",
        "квіт.",
        "трав.",
        "черв.",
        "лип.",
        "серп.",
        "вер.",
        "жовт.",
        "лист.",
        "груд.",
    ]),
    days: [
        "неділя",
        "понеділок",
        "вівторок",
        "середа",
        "четвер",
        "пʼятниця",
        "субота",
    ],
    short_days: Some(["нд", "пн", "вт", "ср", "чт", "пт", "сб"]),
};

/// Ukrainian months in the genitive (`[$-FC22]`).
pub(super) const UKRAINIAN_GENITIVE: Names = Names {
    months: [
        "січня",
        "лютого",
        "березня",
        "квітня",
        "травня",
        "червня",
        "липня",
        "серпня",
        "вересня",
        "жовтня",
        "листопада",
        "грудня",
    ],
    ..UKRAINIAN
};

/// Turkish.
pub(super) const TURKISH: Names = Names {
    months: [
        "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
        "Kasım", "Aralık",
    ],
    months_after_day: None,
    short_months: Some([
        "Oca", "Şub", "Mar", "Nis", "May", "Haz", "Tem", "Ağu", "Eyl", "Eki", "Kas", "Ara",
    ]),
    days: [
        "Pazar",
        "Pazartesi",
        "Salı",
        "Çarşamba",
        "Perşembe",
        "Cuma",
        "Cumartesi",
    ],
    short_days: Some(["Paz", "Pzt", "Sal", "Çar", "Per", "Cum", "Cmt"]),
};

/// Thai: weekdays with their `วัน` (day) prefix.
pub(super) const THAI: Names = Names {
    months: [
        "มกราคม",
        "กุมภาพันธ์",
        "มีนาคม",
        "เมษายน",
        "พฤษภาคม",
        "มิถุนายน",
        "กรกฎาคม",
        "สิงหาคม",
        "กันยายน",
        "ตุลาคม",
        "พฤศจิกายน",
        "ธันวาคม",
    ],
    months_after_day: None,
    short_months: Some([
        "ม.ค.",
        "ก.พ.",
        "มี.ค.",
        "เม.ย.",
        "พ.ค.",
        "มิ.ย.",
        "ก.ค.",
        "ส.ค.",
        "ก.ย.",
        "ต.ค.",
        "พ.ย.",
        "ธ.ค.",
    ]),
    days: [
        "วันอาทิตย์",
        "วันจันทร์",
        "วันอังคาร",
        "วันพุธ",
        "วันพฤหัสบดี",
        "วันศุกร์",
        "วันเสาร์",
    ],
    short_days: Some(["อาทิตย์", "จันทร์", "อังคาร", "พุธ", "พฤหัส", "ศุกร์", "เสาร์"]),
};
