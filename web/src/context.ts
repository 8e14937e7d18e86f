import type { Api } from "./api";
import type { Role } from "./session";

// What every page gets: the API client, the main landmark to render into,
// and the user's access level as found at sign-in.
export interface Ctx {
  api: Api;
  main: HTMLElement;
  role: Role | null;
}
