import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * Serves the built studio (studio/dist) at /studio. Paths that are not files get
 * index.html, so the studio's own routes survive a reload; hashed assets are cached for good.
 */
export async function serveStudio(app: FastifyInstance, distDir: string): Promise<void> {
  await app.register(fastifyStatic, { root: distDir, serve: false });
  app.get('/studio', { schema: { hide: true }, config: { roles: 'public' } }, (_request, reply) => reply.redirect('/studio/'));
  app.get('/studio/*', { schema: { hide: true }, config: { roles: 'public' } }, (request, reply) => {
    const rel = (request.params as { '*': string })['*'];
    const file = path.resolve(distDir, rel);
    if (!fs.existsSync(path.join(distDir, 'index.html'))) {
      return reply.status(503).type('text/plain').send('The studio is not built yet: run `npm run build:studio` (npm start does it).');
    }
    if (rel && file.startsWith(distDir + path.sep) && fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      return rel.startsWith('assets/') ? reply.sendFile(rel, { maxAge: '365d', immutable: true }) : reply.sendFile(rel, { maxAge: 0 });
    }
    // A missing asset is a real 404; anything else is a studio route.
    if (rel.startsWith('assets/')) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { maxAge: 0 });
  });
}
