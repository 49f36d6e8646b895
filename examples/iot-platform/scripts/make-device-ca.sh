#!/usr/bin/env bash
# Makes a lab certificate authority for device mutual TLS and one device certificate it signs.
#   examples/iot-platform/scripts/make-device-ca.sh lab-ca sensor-1
# Writes into DIR (default ./device-ca, created mode 700):
#   ca.pem                the truststore: deploy with -c truststoreFile=DIR/ca.pem
#   ca.key                the CA's private key (kept; a second run reuses the CA)
#   <device>.key/.pem     the device's key and certificate (clientAuth, 90 days)
# EC P-256 keys. A lab CA only: no revocation list, the key sits on your disk unencrypted.
set -euo pipefail
dir="${1:-device-ca}"
device="${2:-sensor-1}"
if ! [[ "$device" =~ ^[A-Za-z0-9_-]{1,64}$ ]]; then
  echo "deviceId must match ^[A-Za-z0-9_-]{1,64}\$, got \"${device:0:80}\"" >&2
  exit 2
fi
umask 077
mkdir -p "$dir"

if [ -f "$dir/ca.key" ] && [ -f "$dir/ca.pem" ]; then
  echo "reusing the CA in $dir" >&2
else
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/ca.key"
  openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 365 \
    -subj "/O=cdk-service-integration IoT lab/CN=IoT lab device CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$dir/ca.pem"
  echo "created the lab CA: $dir/ca.pem" >&2
fi

openssl ecparam -name prime256v1 -genkey -noout -out "$dir/$device.key"
openssl req -new -key "$dir/$device.key" -subj "/O=cdk-service-integration IoT lab/CN=$device" -out "$dir/$device.csr"
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' > "$dir/$device.ext"
openssl x509 -req -in "$dir/$device.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
  -days 90 -sha256 -extfile "$dir/$device.ext" -out "$dir/$device.pem" 2>/dev/null
rm -f "$dir/$device.csr" "$dir/$device.ext"
openssl verify -CAfile "$dir/ca.pem" "$dir/$device.pem" >&2
echo "device certificate: $dir/$device.pem (key $dir/$device.key)" >&2
