#!/bin/bash
# Belenios's shuffle on this machine, for comparison with bench/shuffle.py: figures, not a test.
#
#   bench/belenios_shuffle.sh [BALLOTS] [GROUP]       (defaults: 1000 Ed25519)
#
# Needs belenios-tool (Debian package belenios-tool). Sets up an election with
# one non-homomorphic question of 10 candidates (Belenios encodes a whole
# ranking in one ciphertext), casts BALLOTS random rankings, and times two
# trustees' shuffles and the verification of the record before and after them
# (the difference is the cost of verifying the two shuffles).
set -euo pipefail
BALLOTS=${1:-1000}
GROUP=${2:-Ed25519}
export BELENIOS_USE_URANDOM=1
DIR=$(mktemp -d)
cd "$DIR"
UUID=$(belenios-tool setup generate-token)
belenios-tool setup generate-credentials --uuid "$UUID" --group "$GROUP" --count "$BALLOTS" > /dev/null
mv ./*.pubcreds public_creds.json
mv ./*.privcreds private_creds.txt
for _ in 1 2; do belenios-tool setup generate-trustee-key --group "$GROUP" > /dev/null; done
cat ./*.pubkey > public_keys.jsons
belenios-tool setup make-trustees
rm public_keys.jsons
cat > questions.json <<'JSON'
{"description":"Shuffle benchmark","name":"Shuffle benchmark","questions":[{"type":"NonHomomorphic","value":{"answers":["1","2","3","4","5","6","7","8","9","10"],"question":"Rank the candidates"}}]}
JSON
belenios-tool setup make-election --uuid "$UUID" --group "$GROUP" --template questions.json
belenios-tool archive init
rm -f election.json trustees.json public_creds.json
started=$(date +%s.%N)
while read -r _ cred; do
  ranking=$(shuf -i 1-10 | paste -sd, -)
  belenios-tool election generate-ballot --privcred <(echo "$cred") --ballot <(echo "[[$ranking]]") \
    2> /dev/null | belenios-tool archive add-event --type=Ballot 2> /dev/null
done < private_creds.txt
echo "belenios: $BALLOTS ballots cast in $(echo "$(date +%s.%N) - $started" | bc) s"
belenios-tool archive add-event --type=EndBallots < /dev/null
belenios-tool election compute-encrypted-tally | belenios-tool archive add-event --type=EncryptedTally
/usr/bin/time -f "belenios: verify (the record before the shuffles): %e s wall, %U s user" \
  sh -c 'belenios-tool election verify > /dev/null 2>&1'
for trustee in 1 2; do
  /usr/bin/time -f "belenios: shuffle by trustee $trustee: %e s wall, %U s user" \
    sh -c "belenios-tool election shuffle --trustee-id=$trustee > shuffle.json 2> /dev/null"
  belenios-tool archive add-event --type=Shuffle < shuffle.json 2> /dev/null
done
belenios-tool archive add-event --type=EndShuffles < /dev/null
/usr/bin/time -f "belenios: verify (whole record, two shuffles): %e s wall, %U s user" \
  sh -c 'belenios-tool election verify > /dev/null 2>&1'

echo "belenios: $(cat /proc/loadavg | cut -d' ' -f1-3) load average; record in $DIR"
