export { openRecordsDb, openEmbedded, openPostgres, DEFAULT_RECORDS_FILE, type OpenRecordsOptions } from './open.js';
export { SCHEMA_VERSION } from './migrations.js';
