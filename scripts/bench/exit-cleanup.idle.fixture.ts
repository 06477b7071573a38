/** Stands in for a stack: says it is up, then idles until it is stopped (SIGTERM). */
process.stdout.write('up\n');
setInterval(() => {}, 1_000);
