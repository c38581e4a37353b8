#!/bin/bash
# Reads off DCMTK's names for UIDs, as dcmdump (and movescu -v, which prints identifiers the same way) shows them, into
# the two tables next to this script that the generator turns into ActorMove.Dicom's DcmtkNames:
#   dcmtk-uid-names.tsv             a UI value's "=Name" (=CTImageStorage, =LittleEndianExplicit, ...), for every UID of
#                                   uids.tsv that dcmdump names; the others it prints as [uid]
#   dcmtk-transfer-syntax-names.tsv the "# Used TransferSyntax: " line of a data set read in each transfer syntax of uids.tsv
# Needs dump2dcm and dcmdump (DCMTK 3.6.7). Usage: observe-dcmtk-names.sh [path-to-tsv-folder, default ../shared/dicom]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tsv=${1:-$here/../../../shared/dicom}/uids.tsv
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# One sequence item per UID, each holding the UID as Referenced SOP Class UID.
{
  echo "(0008,1199) SQ (Sequence with undefined length)"
  tail -n +2 "$tsv" | cut -f1 | while read -r uid; do
    printf '(fffe,e000) na (Item)\n(0008,1150) UI [%s]\n(fffe,e00d) na (ItemDelimitationItem)\n' "$uid"
  done
  echo "(fffe,e0dd) na (SequenceDelimitationItem)"
} > "$work/uids.dump"
dump2dcm -q "$work/uids.dump" "$work/uids.dcm"
dcmdump +L "$work/uids.dcm" | sed -n 's/^ *(0008,1150) UI \([^ ]*\) .*$/\1/p' > "$work/printed"
{
  printf 'uid\tdcmtk_name\n'
  tail -n +2 "$tsv" | cut -f1 | paste - "$work/printed" | sed -n 's/^\([^\t]*\)\t=\(.*\)$/\1\t\2/p'
} > "$here/dcmtk-uid-names.tsv"

# A small data set written with each transfer syntax in its meta header.
{
  printf 'uid\tdcmtk_name\n'
  tail -n +2 "$tsv" | awk -F'\t' '$4 == "Transfer Syntax" { print $1 }' | while read -r uid; do
    printf '(0002,0010) UI [%s]\n(0008,0052) CS [STUDY]\n' "$uid" > "$work/ts.dump"
    dump2dcm -q "$work/ts.dump" "$work/ts.dcm"
    printf '%s\t%s\n' "$uid" "$(dcmdump "$work/ts.dcm" | sed -n 's/^# Used TransferSyntax: //p' | tail -n 1)"
  done
} > "$here/dcmtk-transfer-syntax-names.tsv"
echo "wrote $here/dcmtk-uid-names.tsv ($(($(wc -l < "$here/dcmtk-uid-names.tsv") - 1)) names)"
echo "wrote $here/dcmtk-transfer-syntax-names.tsv ($(($(wc -l < "$here/dcmtk-transfer-syntax-names.tsv") - 1)) names)"
