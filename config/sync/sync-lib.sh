# sync-lib.sh — sourced by rsync-push.sh and rsync-replies.sh: how both
# reach the social worker's machine.
#
# sync_slash PATH: PATH with the trailing / rsync needs to copy contents.
# sync_remote PATH KEY KNOWN_HOSTS: for a user@host: PATH, check the SSH key
# and the pinned host key and put rsync's -e value (a strict, batch-mode
# ssh) in SYNC_E_ARG; for a local path, leave it empty. Needs $prog, $ssh.

die() { echo "$prog: $2" >&2; exit "$1"; }

sync_slash() {
	case $1 in
	*/|*:) echo "$1" ;;
	*) echo "$1/" ;;
	esac
}

sync_remote() {
	SYNC_E_ARG=
	case $1 in
	/*|./*|../*) ;;
	*:*)
		[ -r "$2" ] || die 2 "$2: cannot read the SSH key"
		[ -r "$3" ] || die 2 "$3: cannot read the known hosts file"
		SYNC_E_ARG="$ssh -i $2 -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$3 -o ConnectTimeout=30"
		;;
	esac
}
