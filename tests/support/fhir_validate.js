// Validates FHIR R4 resources with FHIR.js (npm package "fhir", from package-lock.json), a
// validator independent of the service and of fhir.resources: it checks, among others, the
// resource types a reference may point to. Reads a JSON array of resources on stdin; writes a
// JSON array of the error messages of each (an empty array: valid).
const { Fhir } = require("fhir");

const fhir = new Fhir();
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const results = JSON.parse(input).map((resource) => fhir.validate(resource).messages
    .filter((message) => message.severity === "error")
    .map((message) => `${message.location}: ${message.message}`));
  process.stdout.write(JSON.stringify(results));
});
