// Everything the worker registers as workflow code.
export { SelfCodingWorkflow } from './self-coding.js';
