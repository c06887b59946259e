# Sourced by tests/e2e/lib.sh, tests/run-valgrind.sh and bench/b_kiosk.sh.
# kiosk_conf_write FILE DIR SCREENS [IDLE_SECONDS]: a test kiosk config
# over DIR (DIR/spool, DIR/recipients.txt, DIR/kiosk.key, DIR/replies,
# DIR/staff-keys.txt) and SCREENS.
kiosk_conf_write() {
	cat >"$1" <<EOC
[kiosk]
spool = $2/spool
recipients = $2/recipients.txt
signing_key = $2/kiosk.key
screens = $3
languages = en es
idle_seconds = ${4:-90}
follow_up = 2 school days
replies = $2/replies
staff_keys = $2/staff-keys.txt
EOC
}
