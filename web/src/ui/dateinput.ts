// A date input with the chosen date in words beside it, in the page's
// language: the input's own display follows the browser's settings, not the
// page's (12/03/2026 could be either month), the words cannot be misread.
import { h } from "../dom";
import { longDate } from "../format";

export function dateInput(id: string, name: string, value: string): { input: HTMLInputElement; words: HTMLOutputElement } {
  const input = h("input", { id, name, type: "date", value, "aria-describedby": `${id}-words` });
  const words = h("output", { id: `${id}-words`, for: id, class: "date-words" }, longDate(value));
  input.addEventListener("input", () => (words.textContent = longDate(input.value)));
  return { input, words };
}
