# Campaign Analytics API: a build stage (toolchain, all dependencies, compile, then drop dev
# dependencies) and a slim runtime stage (the last one: what `docker build .` ships).
# Node 24 LTS; keep both FROM lines on the same tag. Development uses docker-compose.yml instead.
FROM node:24-trixie-slim AS build
# argon2 compiles from source (its linux-x64 prebuild is not trusted here): node-gyp needs these.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY db ./db
COPY schemas ./schemas
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && node -e "require('argon2')"

FROM node:24-trixie-slim AS runtime
# tini as PID 1: forwards SIGTERM to Node (close-with-grace drains requests) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Seed data and other non-code files under db/ (the compiled migrations are in dist/db).
COPY --from=build /app/db ./db
# The image's own unprivileged "node" user (uid 1000); the files it runs belong to root, read-only to it.
USER node
EXPOSE 3000
# No curl in the slim image: Node's fetch asks the liveness route (no database access).
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
# MIGRATE_ON_START=1 makes the server apply pending migrations first (under Kysely's lock);
# otherwise run `node dist/src/cli/migrate.js` once per deploy (compose's migrate service, Render's preDeployCommand).
# 64 MB semi-spaces for the young generation: request handling allocates short-lived objects fast, and with V8's
# default (16 MB) Node ran 303 scavenges per 30,000 list requests instead of 81, 26 µs of GC
# pauses per request instead of 19 (BENCHMARKS.md, API run 8).
# No allocation-site pretenuring: a server started under load had V8 move pg's result rows and arrays to the
# old generation, where they outlived every request until a full GC; scavenges took 10-15 ms instead of 3
# (BENCHMARKS.md, "GC: pretenured request objects"). The same command as `npm run start:prod`.
CMD ["node", "--max-semi-space-size=64", "--no-allocation-site-pretenuring", "dist/src/server.js"]
