# Madoguchi: one container runs the web UI (8000), the SMTP listener (2525) and the outbox worker.
#
#   docker build -t madoguchi .
#   docker run -d --name madoguchi \
#     -p 8000:8000 -p 25:2525 \
#     -v madoguchi-data:/data \
#     -e MADOGUCHI_PUBLIC_URL=https://help.example.com \
#     -e MADOGUCHI_MAIL_DOMAINS=example.com \
#     -e MADOGUCHI_SMTP_RELAY_URL=smtp://user:pass@relay.example.com:587 \
#     madoguchi
#
# Inside, SMTP listens on the unprivileged port 2525, so the container needs no root: publish the
# host's port 25 (where MX delivery arrives) to it with `-p 25:2525`.
FROM denoland/deno:2.9.6

ENV DENO_NO_UPDATE_CHECK=1 \
    MADOGUCHI_DATA_DIR=/data \
    MADOGUCHI_HTTP_PORT=8000 \
    MADOGUCHI_SMTP_PORT=2525

WORKDIR /app
# The image's unprivileged `deno` user owns the app (node_modules, built islands) and the data.
RUN mkdir -p /data && chown deno:deno /app /data
USER deno

# Dependencies first: this layer is rebuilt only when deno.json or deno.lock change.
COPY --chown=deno:deno deno.json deno.lock ./
RUN deno install --frozen

COPY --chown=deno:deno . .
# Cache the whole module graph (fails if the lock is stale) and bundle the islands once, at build.
RUN deno install --frozen --entrypoint main.ts workers/password_worker.ts cli/create_token.ts cli/backup.ts \
    && deno task build

VOLUME /data
EXPOSE 8000 2525

# No curl in the image: ask Deno itself. /healthz answers 503 when the database does not answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["deno", "eval", "const port = Deno.env.get('MADOGUCHI_HTTP_PORT') ?? '8000'; const r = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) }); Deno.exit(r.ok ? 0 : 1);"]

# The start task without its `deno task build` (done above). SIGTERM drains in-flight work.
# V8's young generation at 16 MiB a half and the old generation at 192 MiB: 50 clients at 200 000
# tickets peak at ~210 MiB instead of ~290–370 (README "Memory"); one isolate never needs more.
CMD ["deno", "run", "--allow-net", "--allow-read", "--allow-write", "--allow-env", "--allow-sys", "--allow-ffi", "--v8-flags=--max-semi-space-size=16,--max-old-space-size=192", "main.ts"]
