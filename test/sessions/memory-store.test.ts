import { MemorySessionStore } from 'flagon/sessions';
import { describeSessionStore } from './store-conformance.js';

const store = new MemorySessionStore();
describeSessionStore('MemorySessionStore', () => store);
