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
COPY --from=build /app /app
EXPOSE 8080
CMD ["npm", "start"]
