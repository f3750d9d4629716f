#!/bin/sh
# The script a CGI server runs (lighttpd's mod_cgi, Apache's mod_cgi, …): it hands the request, which is in the
# environment and on stdin, to Node. tsx runs cgi.ts as it is; with a build step, run the compiled file with plain
# node instead (exec node ./dist/cgi.js), which starts a little faster. The server's PATH must find node: set it
# in the server's config (lighttpd: setenv.add-environment), since CGI scripts inherit little of its environment.
cd "$(dirname "$0")" || exit 1
exec node --import tsx ./cgi.ts
