'use strict';
// Stand-in for a parser aws-lite bundles but requires only when a call needs it: its DynamoDB
// attribute marshaller (src/_vendor/aws.js) or its XML parser (src/_vendor/xml.js).
// scripts/handler-bundles.mjs puts it in place where no call of the handler can use them;
// should one be needed after all, the call fails loudly instead of misreading an answer.
function notBundled() {
  throw new Error('this aws-lite parser is not bundled in this handler (see scripts/handler-bundles.mjs)');
}
module.exports = { marshall: notBundled, unmarshall: notBundled, XMLParser: notBundled, XMLBuilder: notBundled, getValueFromTextNode: notBundled };
