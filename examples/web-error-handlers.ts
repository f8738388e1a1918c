// Express and Fastify: record the errors a route throws, with the request, and let the app
// answer as it always did. Each server listens on 127.0.0.1, gets one failing request, and stops.

import { errorInsightExpress, errorInsightFastify, getExportLogger } from 'error-insight';
import express from 'express';
import Fastify from 'fastify';

const app = express();
app.get('/videos/:id/render', (req) => {
  throw new Error(`render failed for ${req.params.id}`);
});
app.use(errorInsightExpress());
// The app's own error response stays as it was.
app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(503).json({ problem: err.message });
});
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const address = server.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;
const expressAnswer = await fetch(`http://127.0.0.1:${port}/videos/3a7bd3e2f/render?token=abc`);
console.log(`express answered ${expressAnswer.status} ${await expressAnswer.text()}`);
server.close();

const fastify = Fastify();
await fastify.register(errorInsightFastify);
fastify.get<{ Params: { id: string } }>('/videos/:id/encode', async (request) => {
  throw new TypeError(`codec is undefined for ${request.params.id}`);
});
const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
const fastifyAnswer = await fetch(`${url}/videos/3a7bd3e2f/encode`);
console.log(`fastify answered ${fastifyAnswer.status}`);
await fastify.close();

const logger = getExportLogger();
await logger.flush();
for (const group of logger.getErrorStats().mostFrequent) {
  console.log(`recorded ${group.type}: ${group.message}`);
}
