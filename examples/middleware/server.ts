/** The hello app behind two middlewares: `npx tsx examples/middleware/server.ts`, then open http://127.0.0.1:5000/greet/?name=Ada */
import { serve } from 'flagon/serving';
import { hello } from '../hello-gateway/app.js';
import { mountAt, securityHeaders } from './middleware.js';

const app = mountAt('/greet', securityHeaders(hello));

const server = await serve(app, { port: Number(process.env.PORT ?? 5000) });
console.log(` * Serving the wrapped hello app on ${server.url}/greet/?name=World`);
