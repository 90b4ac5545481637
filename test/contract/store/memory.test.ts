import { MemoryAcdStore } from '../../../src/adapters/store/memory/index.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('memory', () => new MemoryAcdStore());
