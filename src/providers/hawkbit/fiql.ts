/** FIQL values (hawkBit's `q=`, `docs/query-parameters.md`): bare when safe, else double-quoted. */
export function fiqlValue(value: string): string {
  return /^[\w.:-]+$/.test(value) ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function fiqlEq(field: string, value: string): string {
  return `${field}==${fiqlValue(value)}`;
}

export function fiqlIn(field: string, values: readonly string[]): string {
  return values.length === 1 ? fiqlEq(field, values[0]!) : `${field}=in=(${values.map(fiqlValue).join(',')})`;
}
