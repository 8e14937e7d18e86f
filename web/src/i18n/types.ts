// The shape of a message catalogue. A message is a string with {name}
// placeholders, or plural forms chosen by the `count` parameter with
// Intl.PluralRules (English and Uzbek: one/other; Russian: one/few/many/other).

export interface Plural {
  one: string;
  few?: string;
  many?: string;
  other: string;
}
export type Message = string | Plural;
