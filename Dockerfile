# One image for both Fly process groups (web and worker), on Node 24, the current LTS.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN npm install -g npm@11
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=8080 WORKER_IN_PROCESS=false
# A 1 GB machine: V8 would otherwise grow its heap lazily toward the machine's size (bench/royalties.ts).
ENV NODE_OPTIONS=--max-old-space-size=512
# What production runs, and nothing else: the web and worker entry points, the services and the lab code
# the worker recomputes with, the built app, the migrations and their runner. No seeds, fakes, tests,
# benchmarks or docs (server/production-imports.test.ts checks these lines against the entry points'
# import graph).
COPY --from=build /app/package.json /app/tsconfig.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/server ./server
COPY --from=build /app/services ./services
COPY --from=build /app/app/lib ./app/lib
COPY --from=build /app/certification-lab ./certification-lab
COPY --from=build /app/native/extract-vocab.ts ./native/extract-vocab.ts
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/scripts/db-migrate.ts ./scripts/db-migrate.ts
# Tests beside the code and the demo's entry stay in the build stage.
RUN find server services certification-lab app -name '*.test.ts' -delete && rm server/demo.ts server/fakes.ts server/fakes-settings.ts
EXPOSE 8080
CMD ["npm", "start"]
