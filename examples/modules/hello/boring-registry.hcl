# Read by `boring-registry upload module`: where this module goes in the registry.
metadata {
  namespace = "example"
  name      = "hello"
  provider  = "null"   # the module registry's "provider" part: any lower-case word
  version   = "1.0.0"
}
