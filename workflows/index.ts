// Everything the worker registers as workflow code.
export { SelfCodingWorkflow } from './self-coding/workflow.js';
export { ReleaseTrainWorkflow } from './release-train/workflow.js';
export { EvalWorkflow } from './eval/workflow.js';
export { EvolveWorkflow } from './evolve/workflow.js';
export { ProviderCheckWorkflow } from './provider-check/workflow.js';
