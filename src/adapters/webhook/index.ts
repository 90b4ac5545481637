export { WorkOrderOutbox, type OutboxOptions, type OutboxStats } from './outbox.js';
export { postSigned, type PostResult, type PostTarget } from './post.js';
export { SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, verify } from './sign.js';
export { workOrderSettings, type WorkOrderSettings } from './settings.js';
export { departmentTargets, type ReadSecretFile } from './department-targets.js';
