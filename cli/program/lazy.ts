// Why the registration files never import cli/commands/ statically: `ouro --help` and the light
// commands must not pay for what the others load (the worker's SDK, the model, the report's plots).

/** A command's function, its module loaded only when the command runs. */
export function lazy<M, K extends keyof M>(load: () => Promise<M>, name: K): M[K] {
  return (async (...args: unknown[]) => ((await load())[name] as (...a: unknown[]) => unknown)(...args)) as M[K];
}
