// Runs s3rver in its own process: it needs --openssl-legacy-provider, which must not apply to the API.
// Prints one JSON line {port} on stdout once it listens.
import S3rver from 's3rver';
import { answerMultipartListing } from './s3rver-multipart.mjs';

const [directory, bucket, corsOrigin] = process.argv.slice(2);
const cors = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>${corsOrigin || '*'}</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>Content-Length</ExposeHeader>
    <ExposeHeader>Content-Range</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

const server = new S3rver({
  // Loopback only: s3rver checks expiry but not signatures, so it must never be reachable from outside.
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  vhostBuckets: false,
  configureBuckets: [{ name: bucket, configs: [cors] }],
});
answerMultipartListing(server);
const { port } = await server.run();
process.stdout.write(JSON.stringify({ port }) + '\n');
const stop = () => server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Exit with the parent, so that a killed "npm start" leaves no orphan.
process.on('disconnect', stop);
