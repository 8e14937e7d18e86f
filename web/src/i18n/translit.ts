// Uzbek Latin → Uzbek Cyrillic, by the standard correspondence of the two
// alphabets (the 1995 Latin alphabet as amended in 2019 and the Cyrillic one
// it replaced): o‘ → ў, g‘ → ғ, sh → ш, ch → ч, yo → ё, yu → ю, ya → я,
// ye → е, e → э at the start of a word and after a vowel (е elsewhere),
// h → ҳ, q → қ, x → х, j → ж, y → й, the tutuq belgisi ’ → ъ, ng stays нг.
// Words borrowed through Russian keep their Russian spelling in Cyrillic
// (reyestr → реестр, litsenziya → лицензия): they are listed in LOANS.
//
// The Cyrillic catalogue is this function applied to the Latin one, so the
// two cannot drift apart. {placeholders}, technical tokens (with digits,
// "+", or inner capitals) and the acronyms in KEEP are left as they are.

const SINGLE: Record<string, string> = {
  a: "а", b: "б", d: "д", e: "е", f: "ф", g: "г", h: "ҳ", i: "и", j: "ж", k: "к", l: "л", m: "м",
  n: "н", o: "о", p: "п", q: "қ", r: "р", s: "с", t: "т", u: "у", v: "в", x: "х", y: "й", z: "з",
  c: "ц", w: "в",
};

// Stems of Russian loanwords: Latin stem → Cyrillic stem (lower case); the
// rest of the word (Uzbek suffixes) is transliterated by the rules.
const LOANS: [string, string][] = [
  ["reyestr", "реестр"],
  ["obyekt", "объект"],
  ["tendensiya", "тенденция"],
  ["inventarizatsiya", "инвентаризация"],
  ["modernizatsiya", "модернизация"],
  ["litsenziya", "лицензия"],
  ["konsultatsiya", "консультация"],
  ["kooperatsiya", "кооперация"],
  ["operatsiya", "операция"],
  ["deklaratsiya", "декларация"],
  ["ratifikatsiya", "ратификация"],
  ["inspeksiya", "инспекция"],
  ["muassasa", "муассаса"],
  ["aksiya", "акция"],
  ["sertifikat", "сертификат"],
  ["identifikator", "идентификатор"],
  ["brauzer", "браузер"],
  ["server", "сервер"],
  ["avtoritet", "авторитет"],
  ["tranzit", "транзит"],
  ["konteyner", "контейнер"],
  ["oktabr", "октябр"],
  ["sentabr", "сентябр"],
  ["noyabr", "ноябр"],
  ["dekabr", "декабр"],
  ["yanvar", "январ"],
  ["fevral", "феврал"],
];

// Acronyms and names kept in Latin letters in Cyrillic text (technical
// identifiers, the product's name, the "signed-note" format).
const KEEP = new Set(["TIV", "CSV", "JSON", "RFC", "ID", "SHA", "UTC", "API", "URL", "Accord", "signed", "note"]);

const VOWELS = new Set(["a", "e", "i", "o", "u"]);
const TUTUQ = /[’ʼ]/;

function isUpper(s: string): boolean {
  return s !== s.toLowerCase() && s === s.toUpperCase();
}

// One word of Latin letters (with ‘ and ’ inside it).
function word(w: string): string {
  if (KEEP.has(w) || /[0-9+]/.test(w) || /[a-z][A-Z]/.test(w)) return w;
  // An acronym with a suffix: BMTning → БМТнинг.
  const acronym = /^([A-Z]{2,})([a-z‘’].*)$/.exec(w);
  if (acronym) return word(acronym[1]) + word(acronym[2]);
  const lower = w.toLowerCase();
  let out = "";
  let i = 0;
  for (const [lat, cyr] of LOANS) {
    if (lower.startsWith(lat)) {
      out = cyr;
      i = lat.length;
      break;
    }
  }
  let prev = i > 0 ? lower[i - 1] : "";
  while (i < lower.length) {
    const c = lower[i];
    const next = lower[i + 1] ?? "";
    let cyr: string;
    let len = 1;
    if ((c === "o" || c === "g") && (next === "‘" || next === "ʻ" || next === "'")) {
      cyr = c === "o" ? "ў" : "ғ";
      len = 2;
    } else if (c === "s" && next === "h") {
      cyr = "ш";
      len = 2;
    } else if (c === "c" && next === "h") {
      cyr = "ч";
      len = 2;
    } else if (c === "y" && (next === "o" || next === "u" || next === "a" || next === "e") && lower[i + 2] !== "‘") {
      cyr = { o: "ё", u: "ю", a: "я", e: "е" }[next]!;
      len = 2;
    } else if (c === "e") {
      cyr = i === 0 || VOWELS.has(prev) ? "э" : "е";
    } else if (TUTUQ.test(c)) {
      cyr = "ъ";
    } else {
      cyr = SINGLE[c] ?? c;
    }
    out += cyr;
    prev = c;
    i += len;
  }
  // Case: all capitals stay capitals; a capital first letter stays one.
  if (w.length > 1 && isUpper(w)) return out.toUpperCase();
  if (w[0] !== lower[0]) return out.charAt(0).toUpperCase() + out.slice(1);
  return out;
}

// Transliterates a message, leaving {placeholders} alone.
export function latinToCyrillic(text: string): string {
  return text
    .split(/(\{\w+\})/)
    .map((part) => (/^\{\w+\}$/.test(part) ? part : part.replace(/[A-Za-z][A-Za-z0-9+‘ʻ’ʼ']*/g, (w) => {
      // A trailing ’ or ' closes a quotation, not a tutuq belgisi.
      const m = /^(.*?)([’']*)$/.exec(w)!;
      return word(m[1]) + m[2];
    })))
    .join("");
}
