/** Serves the hello app with Flagon's TSGI server: `npx tsx examples/hello-gateway/server.ts`, then open http://127.0.0.1:5000/?name=Ada */
import { serve } from 'flagon/serving';
import { hello } from './app.js';

const server = await serve(hello, { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 5000) });
console.log(` * Serving TSGI app 'hello' on ${server.url}/?name=World (Ctrl+C to quit)`);
