# syntax=docker/dockerfile:1
# One Dockerfile, two images:
#   docker build --target api    -t timeshift-api .     (API + the built web app, one origin)
#   docker build --target worker -t timeshift-worker .  (job runner with Debian's ffmpeg and pocketsphinx)
# Both run the TypeScript sources through tsx, exactly as "npm start" does; there is no compile step.

ARG NODE_IMAGE=node:22-bookworm-slim

# ---- manifests: only what decides node_modules, so source edits do not bust the install layers
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/shared/package.json packages/shared/
COPY server/package.json server/
COPY workers/package.json workers/
COPY web/package.json web/

# ---- every dependency, dev ones included: vite and SvelteKit are needed to build web/
FROM manifests AS deps-build
# npm 11 can refuse a lock file that lacks another platform's optional packages (rollup's, npm/cli#4828);
# "npm install" honours the same lock file without that check, as scripts/bootstrap.mjs does.
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund

FROM deps-build AS web-build
COPY tsconfig.json ./
COPY packages/shared packages/shared
COPY web web
RUN cd web && node ../node_modules/vite/bin/vite.js build --logLevel warn

# ---- runtime dependencies only: no embedded PostgreSQL, s3rver, vite or test tools in the images
FROM manifests AS deps-prod
RUN (npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-audit --no-fund) \
 && npm cache clean --force

# ---- the application tree both images share; nested workspace node_modules come along with /app
FROM deps-prod AS app
COPY tsconfig.json ./
COPY packages packages
COPY migrations migrations
COPY scripts scripts
COPY server server
COPY workers workers
COPY --from=web-build /app/web/build web/build

# ---- API: serves /api/v1 and the web app on one port
FROM ${NODE_IMAGE} AS api
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=app /app /app
USER node
EXPOSE 3000
# Node's own fetch: the slim image has no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "server/src/main.ts"]

# ---- worker: the job runner; ffmpeg/ffprobe and the en-us speech model come from Debian
FROM ${NODE_IMAGE} AS worker
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg pocketsphinx-en-us \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=app /app /app
USER node
CMD ["node", "--import", "tsx", "workers/src/main.ts"]
