#!/bin/sh
# age interop, both ways, with the real age binary: X25519 files to 1 and 3
# recipients, plaintexts of 0, 1, 65536, 65537 and 1 MiB bytes; envelope
# sizes equal; a passphrase-protected identity from safeharbor opens with
# age (passphrase typed on a pty), and a file `age -p` wrote opens here.
. "$(dirname "$0")/lib.sh"
command -v age >/dev/null 2>&1 || skip "age is not installed"
command -v age-keygen >/dev/null 2>&1 || skip "age-keygen is not installed"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed to drive age's passphrase prompt"
AT=$BUILD/tests/tools/age_tool
[ -x "$AT" ] || fail "$AT not built (make all)"

# Keys: two from age-keygen, two from age_tool; each reads the other's.
for i in 1 2; do age-keygen -o "$T/age$i.key" 2>/dev/null || fail "age-keygen"; done
for i in 1 2; do "$AT" keygen >"$T/sh$i.key" || fail "age_tool keygen"; done
for k in age1 age2 sh1 sh2; do
	age-keygen -y "$T/$k.key" >"$T/$k.pub" || fail "age-keygen -y $k (format of age_tool keygen?)"
	grep -q "^# public key: $(cat "$T/$k.pub")\$" "$T/$k.key" || fail "$k: public key comment differs from age-keygen -y"
done
cat "$T/age1.pub" "$T/sh1.pub" "$T/age2.pub" >"$T/three.txt"

for n in 0 1 65536 65537 1048576; do
	head -c "$n" /dev/urandom >"$T/pt"
	# safeharbor -> age, 1 and 3 recipients
	"$AT" encrypt -r "$(cat "$T/age1.pub")" <"$T/pt" >"$T/sh1.age" || fail "encrypt n=$n"
	age -d -i "$T/age1.key" "$T/sh1.age" >"$T/out" || fail "age -d of 1-recipient file n=$n"
	cmp -s "$T/pt" "$T/out" || fail "age -d output differs n=$n"
	"$AT" encrypt -r "$(cat "$T/age1.pub")" -r "$(cat "$T/sh1.pub")" -r "$(cat "$T/age2.pub")" \
		<"$T/pt" >"$T/sh3.age" || fail "encrypt 3 n=$n"
	for k in age1 age2; do
		age -d -i "$T/$k.key" "$T/sh3.age" >"$T/out" || fail "age -d -i $k of 3-recipient file n=$n"
		cmp -s "$T/pt" "$T/out" || fail "age -d output differs ($k, n=$n)"
	done
	"$AT" encrypt-mem -r "$(cat "$T/age2.pub")" -r "$(cat "$T/sh2.pub")" <"$T/pt" >"$T/shm.age" \
		|| fail "encrypt-mem n=$n"
	age -d -i "$T/age2.key" "$T/shm.age" >"$T/out" || fail "age -d of an age_encrypt_mem file n=$n"
	cmp -s "$T/pt" "$T/out" || fail "age -d output differs (age_encrypt_mem, n=$n)"
	"$AT" decrypt -i "$T/sh1.key" <"$T/sh3.age" >"$T/out" || fail "self decrypt n=$n"
	cmp -s "$T/pt" "$T/out" || fail "self decrypt differs n=$n"
	# age -> safeharbor, -r and -R
	age -r "$(cat "$T/sh1.pub")" -r "$(cat "$T/age1.pub")" -o "$T/a2.age" "$T/pt" || fail "age -r n=$n"
	"$AT" decrypt -i "$T/sh1.key" <"$T/a2.age" >"$T/out" || fail "decrypt age -r file n=$n"
	cmp -s "$T/pt" "$T/out" || fail "decrypt of age -r file differs n=$n"
	age -R "$T/three.txt" -o "$T/a3.age" "$T/pt" || fail "age -R n=$n"
	for k in sh1 age1 age2; do
		"$AT" decrypt -i "$T/$k.key" <"$T/a3.age" >"$T/out" || fail "decrypt age -R file ($k) n=$n"
		cmp -s "$T/pt" "$T/out" || fail "decrypt of age -R file differs ($k) n=$n"
	done
	expect_rc 1 "$AT" decrypt -i "$T/sh2.key" <"$T/a3.age"
	expect_grep "not for these keys" "$T/err"
	# same layout, same size
	expect_eq "size 3 recipients n=$n" "$(wc -c <"$T/sh3.age")" "$(wc -c <"$T/a3.age")"
	note "n=$n ok both ways"
done

# Typing a passphrase into age through a pseudo-terminal: every prompt that
# mentions a passphrase gets the first line of PASSFILE.
cat >"$T/typepass.py" <<'EOP'
import os, pty, select, sys, time
pw = open(sys.argv[1], "rb").read().split(b"\n")[0]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
seen, sent, out = b"", 0, b""
deadline = time.time() + 120
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.5)
    if not r:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    seen += data
    while seen.lower().count(b"passphrase") > sent:
        os.write(fd, pw + b"\n")
        sent += 1
else:
    os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
sys.stderr.write(seen.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
EOP
printf 'correct horse battery staple\n' >"$T/pass"

# safeharbor writes a passphrase-protected identity (logN 10); age opens it.
"$AT" encrypt-pass "$T/pass" 10 <"$T/sh2.key" >"$T/id.age" || fail "encrypt-pass"
head -c 1000 /dev/urandom >"$T/pt"
age -r "$(cat "$T/sh2.pub")" -o "$T/f.age" "$T/pt" || fail "age -r"
python3 "$T/typepass.py" "$T/pass" age -d -i "$T/id.age" -o "$T/out" "$T/f.age" 2>"$T/ptylog" \
	|| { cat "$T/ptylog" >&2; fail "age -d -i with a safeharbor passphrase identity"; }
cmp -s "$T/pt" "$T/out" || fail "age -d -i id.age output differs"
python3 "$T/typepass.py" "$T/pass" age -d -o "$T/out" "$T/id.age" 2>"$T/ptylog" \
	|| { cat "$T/ptylog" >&2; fail "age -d of a safeharbor scrypt file"; }
cmp -s "$T/sh2.key" "$T/out" || fail "age -d of the scrypt file differs"
printf 'wrong\n' >"$T/wrong"
python3 "$T/typepass.py" "$T/wrong" age -d -o "$T/out" "$T/id.age" 2>"$T/ptylog" \
	&& fail "age accepted a wrong passphrase"
expect_grep "incorrect passphrase" "$T/ptylog"
note "safeharbor passphrase identity opens with age"

# age -p writes (logN 18); safeharbor opens it, and refuses a wrong passphrase.
python3 "$T/typepass.py" "$T/pass" age -p -o "$T/p.age" "$T/pt" 2>"$T/ptylog" \
	|| { cat "$T/ptylog" >&2; fail "age -p"; }
grep -q '^-> scrypt ' "$T/p.age" || fail "age -p wrote no scrypt stanza"
"$AT" decrypt-pass "$T/pass" <"$T/p.age" >"$T/out" || fail "decrypt-pass of an age -p file"
cmp -s "$T/pt" "$T/out" || fail "decrypt-pass output differs"
expect_rc 1 "$AT" decrypt-pass "$T/wrong" <"$T/p.age"
expect_grep "passphrase" "$T/err"
# an age -p file is not for an X25519 identity
expect_rc 1 "$AT" decrypt -i "$T/sh1.key" <"$T/p.age"
note "age -p file opens with safeharbor"
echo "t_age_interop: ok"
