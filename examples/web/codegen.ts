// GraphQL Code Generator: typed documents from the schema committed in the repository (no
// running server needed) and the operations in src/, plus the persisted-documents manifest
// the server is given with `satupintu trusted-documents add src/gql/persisted-documents.json`.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../schema/schema.graphql",
  documents: ["src/**/*.ts", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: {
        fragmentMasking: false,
        // Each operation is sent by its id (`documentId: "sha256:<hex>"`), never its text;
        // the text lives in src/gql/persisted-documents.json for the server to trust.
        persistedDocuments: { mode: "replaceDocumentWithHash", hashAlgorithm: "sha256" },
      },
      config: {
        // SatuPintu's custom scalars, as they travel in JSON.
        scalars: {
          Rupiah: "number", // whole rupiah, e.g. 15000
          DateTime: "string", // ISO 8601 with offset, e.g. 2026-12-01T19:05:00+07:00
          Date: "string", // ISO 8601 date, e.g. 2026-12-01
          Upload: "File", // a multipart upload (GraphQL multipart request spec)
        },
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
