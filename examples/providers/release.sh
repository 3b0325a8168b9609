#!/bin/sh
# Makes a signed Terraform provider release from scratch and uploads it to boring-registry:
# a throw-away gpg key (in a temporary GNUPGHOME), a provider zip for this machine's platform,
# its SHA256SUMS and the binary .sig, then `upload signing-key` and `upload provider`.
# Storage comes from the usual BORING_REGISTRY_* variables (default: the embedded ./data).
# Usage: examples/providers/release.sh [NAMESPACE [NAME [VERSION]]]   (default: acme dummy 1.0.0)
set -eu
namespace="${1:-acme}"
name="${2:-dummy}"
version="${3:-1.0.0}"
here=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)

case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) os=$(uname -s | tr 'A-Z' 'a-z') ;; esac
case "$(uname -m)" in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) arch=$(uname -m) ;; esac

out="release/terraform-provider-${name}_${version}"
mkdir -p "$out"
out=$(CDPATH= cd -- "$out" && pwd)
GNUPGHOME=$(mktemp -d)
export GNUPGHOME
trap 'rm -rf "$GNUPGHOME"' EXIT

gpg --batch --quiet --passphrase '' --quick-generate-key "Wharf example release <release@example.invalid>" rsa3072 sign never
gpg --batch --armor --export > "$out/signing-key.asc"

# The "provider" is a script: terraform init only downloads and verifies it.
build=$(mktemp -d)
printf '#!/bin/sh\necho "terraform-provider-%s %s"\n' "$name" "$version" > "$build/terraform-provider-${name}_v${version}"
chmod +x "$build/terraform-provider-${name}_v${version}"
zip="terraform-provider-${name}_${version}_${os}_${arch}.zip"
rm -f "$out/$zip"
(cd "$build" && zip -q -X -D "$out/$zip" "terraform-provider-${name}_v${version}")
rm -rf "$build"

sums="terraform-provider-${name}_${version}_SHA256SUMS"
(cd "$out" && sha256sum "$zip" > "$sums")
rm -f "$out/$sums.sig"
gpg --batch --quiet --detach-sign --output "$out/$sums.sig" "$out/$sums"

"$here/bin/boring-registry" upload signing-key --namespace "$namespace" "$out/signing-key.asc"
"$here/bin/boring-registry" upload provider --namespace "$namespace" --filename-sha256sums "$out/$sums"
echo "released $namespace/$name $version for ${os}_${arch} from $out"
