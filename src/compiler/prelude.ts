/**
 * The prelude: declarations every program sees (rules.md [25]). It is compiled with every
 * program as file id −1; redeclaring its names is an error (LX0222).
 */
export const PRELUDE_FILE_ID = -1;
export const PRELUDE_PATH = "<prelude>";

export const PRELUDE_SOURCE = `
type EffectError { code: string, message: string, attempts: int }

type HttpResponse { status: int, headers: map<string, string>, body: string }

effect Http.request(method: string, url: string, headers: map<string, string>, body: string) -> HttpResponse {
  capability network.egress
}

effect Log.write(message: string) -> bool
`;
