# Which FARO component may do what in the bucket. The same in every environment; keep envs/*/components.tf equal.
#   documents/          objects ingest fetches (claim checks: s3:// references in faro.documents records)
#   documents/uploads/  what the gateway's POST /v1/documents stores before publishing its reference
#   chunk-archive/      faro.chunks, archived by the chunk-archive connector (restore refills the topic from it)
locals {
  s3_components = {
    ingest = {
      service_account = "faro-ingest"
      get_prefixes    = ["documents/"]
    }
    gateway = {
      service_account = "faro-gateway"
      put_prefixes    = ["documents/uploads/"]
    }
    chunk-archive = {
      service_account = "faro-chunk-archive"
      put_prefixes    = ["chunk-archive/"]
    }
  }
}
