// The hello-world TSGI app of flagon-tsgi.mjs, run inside AsyncLocalStorage.run: what the context alone costs.
import { AsyncLocalStorage } from 'node:async_hooks';
import { serve } from '../../dist/serving/index.js';
import { BODY, CONTENT_TYPE, ready } from './common.mjs';

const storage = new AsyncLocalStorage();
const headers = [['Content-Type', CONTENT_TYPE]];
const hello = (environ, startResponse) =>
  storage.run(environ, () => {
    startResponse('200 OK', headers);
    return [BODY];
  });
const server = await serve(hello, { port: 0 });
ready(server.port);
