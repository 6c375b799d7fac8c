# syntax=docker/dockerfile:1
# irisops inference image: serves the model trained at build time from /app/mlruns, or the
# promoted model of an MLflow server when MLFLOW_TRACKING_URI is set at run time.
#
#   docker build -t irisops .
#   docker run --rm -p 8000:8000 irisops
#   docker run --rm -p 8000:8000 -e MLFLOW_TRACKING_URI=http://mlflow:5000 irisops
#   docker run --rm -p 9000:9000 -e PORT=9000 irisops

# ---- build: install, compile, train, prune ------------------------------------------------
FROM node:22-slim AS build
WORKDIR /app

# Dependencies first, so a source change does not re-install them. No install scripts: the
# only one in the tree is @scarf/scarf's analytics postinstall (via swagger-ui-dist).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY schemas ./schemas
COPY data ./data
COPY scripts/build-validators.mjs ./scripts/
RUN npm run build

# Train at the path the runtime serves from: the store records absolute artifact locations.
RUN node bin/irisops.js train --tracking-uri /app/mlruns \
 && node bin/irisops.js registry promote iris_classifier 1 --alias production --tracking-uri /app/mlruns

# Only what `node bin/irisops.js` needs at run time: production dependencies without source
# maps, type declarations and docs (licence files stay).
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && find node_modules dist -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
      -o \( -name '*.md' ! -iname 'licen*' \) \) -delete \
 && mkdir /out \
 && cp -a package.json bin dist schemas data node_modules /out/

# ---- runtime -------------------------------------------------------------------------------
FROM node:22-slim
LABEL org.opencontainers.image.title="irisops" \
      org.opencontainers.image.description="irisops inference service (Iris random forest, MLflow-compatible)" \
      org.opencontainers.image.licenses="MIT"

# WORKDIR /app makes the default tracking URI ./mlruns resolve to the store trained above, and
# CMD passes no --tracking-uri, so MLFLOW_TRACKING_URI set at run time (a flag would beat it)
# switches the image to an MLflow server. The port comes from PORT for the same reason.
ENV NODE_ENV=production \
    PORT=8000
WORKDIR /app
COPY --from=build /out/ /app/
COPY --from=build --chown=node:node /app/mlruns /app/mlruns

USER node
EXPOSE 8000

# No curl in slim images: Node itself asks /health (503 while loading or draining -> unhealthy).
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# Node is PID 1: `irisops serve` handles SIGTERM/SIGINT itself (drain, finish in-flight
# requests, exit 0), so no init process is needed.
CMD ["node", "bin/irisops.js", "serve", "--host", "0.0.0.0"]
