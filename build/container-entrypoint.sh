#!/bin/sh
# The entry point of every NuPlanBus image: starts the application the image published (its assembly name was
# written beside it at build time), so one Dockerfile serves every service. The Coordinator's image serves by
# default, as `nuplanbus serve`; any verb may be given instead: docker run <image> simulate --help
set -eu
app="${NUPLANBUS_APP_DIR:-/app}"
assembly=$(cat "$app/entry-assembly")
if [ "$#" -eq 0 ] && [ "${NUPLANBUS_SERVICE:-}" = "Coordinator" ]; then
    set -- serve
fi
exec dotnet "$app/$assembly.dll" "$@"
