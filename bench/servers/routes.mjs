// The 100 other routes every App-benchmark server registers, in find-my-way/Fastify syntax: 50 static, 50 dynamic.
export const OTHER_ROUTES = Array.from({ length: 100 }, (_, i) =>
  i % 2 === 0 ? `/section${i}/page` : `/section${i}/items/:item`,
);
export const INDEX_BODY = 'Hello, World!';
