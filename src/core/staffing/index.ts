export { erlangB, erlangC, erlangCFigures, erlangAFigures, logGamma, type QueueFigures } from './erlang.js';
export { fewestAgents, figuresFor, meets, type Load, type Staffed, type StaffingTargets } from './minimum.js';
export { estimate, tQuantile975, type Estimate } from './confidence.js';
export { Random, meanOf, sampler, type Distribution, type Sampler } from './random.js';
