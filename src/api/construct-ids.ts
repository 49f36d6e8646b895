/** `my-stage_name` -> `MyStageName`, for construct ids derived from user-given names. */
export function pascal(value: string): string {
  return value.split(/[^A-Za-z0-9]+/).filter((s) => s.length > 0).map((s) => s[0].toUpperCase() + s.slice(1)).join('');
}
