# syntax=docker/dockerfile:1
# The API and the worker of Open DK: one image, two commands (see docker-compose.yml).
#   build:   all dependencies, the Prisma client generated, the workflow bundle built ahead
#   runtime: production dependencies only, the generated client and the bundle copied in,
#            running as the unprivileged `node` user
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# npm 11 honours package.json `allowScripts` (no Prisma engine download, see README).
RUN npm install -g npm@11 --no-audit --no-fund
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.js scripts/
COPY prisma.config.ts ./
COPY prisma/schema.prisma prisma/
RUN npm ci --no-audit --no-fund
COPY . .
# The Prisma client (src/generated) and the workflow bundle, both made at build time.
RUN node scripts/prisma-generate.js \
 && WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js npx tsx scripts/build-workflow-bundle.ts

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
RUN npm install -g npm@11 --no-audit --no-fund
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.js scripts/
# No install scripts here: `prisma` comes along as @prisma/client's peer and its postinstall would
# try to generate without a schema; the client is copied from the build stage instead, and the
# embedded PostgreSQL (the only allowed script) is not used in production.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json prisma.config.ts ./
COPY prisma prisma
COPY src src
COPY activities activities
COPY workflows workflows
COPY --from=build /app/src/generated src/generated
COPY --from=build /app/dist/workflow-bundle.js dist/workflow-bundle.js
# Nothing in /app is writable by the service; DATA_DIR (e-mail outbox without SMTP_URL, a
# development payload key outside production) lives in the node user's home.
RUN mkdir -p /home/node/data && chown node:node /home/node/data
USER node
ENV DATA_DIR=/home/node/data \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    METRICS_HOST=0.0.0.0 \
    PORT=3000
# 3000: the API and site; 9464: /metrics (internal: do not publish it).
EXPOSE 3000 9464
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "src/api/main.ts"]
