// Ўзбекча (кирилл ёзуви): the Latin catalogue transliterated by the
// standard correspondence (translit.ts), so the two variants always say the
// same thing; test/i18n.test.ts checks known phrases of it.
import type { Key } from "./en";
import type { Message } from "./types";
import { latinToCyrillic } from "./translit";
import { uzLatn } from "./uz-Latn";

export function cyrillicCatalogue(latin: Record<Key, Message>): Record<Key, Message> {
  const out = {} as Record<Key, Message>;
  for (const [k, m] of Object.entries(latin) as [Key, Message][]) {
    out[k] =
      typeof m === "string"
        ? latinToCyrillic(m)
        : (Object.fromEntries(Object.entries(m).map(([form, text]) => [form, latinToCyrillic(text as string)])) as unknown as Message);
  }
  return out;
}

export const uzCyrl: Record<Key, Message> = cyrillicCatalogue(uzLatn);
