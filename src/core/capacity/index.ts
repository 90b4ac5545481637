export {
  ROUTER_BUSY_CPU_SHARE, SHED_REASONS, admit, callsPerSecondMark, type Admission, type CapacityMarks, type CapacityState, type FreeswitchLoad, type ShedReason,
} from './admission.js';
