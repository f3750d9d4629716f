// A hello-world TSGI app on Flagon's serve(), from the built package.
import { serve } from '../../dist/serving/index.js';
import { BODY, CONTENT_TYPE, ready } from './common.mjs';

const headers = [['Content-Type', CONTENT_TYPE]];
const hello = (environ, startResponse) => {
  startResponse('200 OK', headers);
  return [BODY];
};
const server = await serve(hello, { port: 0 });
ready(server.port);
