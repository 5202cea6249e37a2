// Opens a libsodium sealed box with an independent implementation (libsodium-wrappers).
// Input on stdin: {"publicKey": base64, "secretKey": base64, "sealed": base64}. Output: the plaintext, UTF-8.
const sodium = require('libsodium-wrappers');

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', async () => {
  await sodium.ready;
  const { publicKey, secretKey, sealed } = JSON.parse(input);
  const from64 = s => sodium.from_base64(s, sodium.base64_variants.ORIGINAL);
  const opened = sodium.crypto_box_seal_open(from64(sealed), from64(publicKey), from64(secretKey));
  process.stdout.write(Buffer.from(opened).toString('utf8'));
});
