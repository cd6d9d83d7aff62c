#!/usr/bin/env perl
# mlkem_stack.pl - worst-case stack depth of the ML-KEM entry points in a kernel build.
# usage: mlkem_stack.pl LIMIT_BYTES FILE.ci...
# The .ci files come from gcc -fcallgraph-info=su on the kernel-flag build of lib/crypto/mlkem
# and the Keccak code it calls (mk/mlkem.mk). For each public entry point the script follows
# the call graph and adds up the static frame sizes along the deepest path, then prints TAP:
# ok when the depth is at most LIMIT_BYTES. A frame that gcc marks "dynamic" (not bounded) or
# a recursive call fails the test. Callees outside the graph (memcpy and friends from the
# kernel's own string code, the caller's random-byte callback) count as 0 and are listed.
use strict;
use warnings;

my ($limit, @files) = @ARGV;
die "usage: $0 LIMIT FILE.ci...\n" unless defined $limit && @files;
my (%size, %edges, %bad, %unknown);
for my $f (@files) {
    open(my $fh, '<', $f) or die "$f: $!\n";
    while (my $l = <$fh>) {
        if ($l =~ /^node: \{ title: "([^"]+)" label: "[^"]*\\n(\d+) bytes \(([^)]*)\)"/) {
            my ($name, $n, $kind) = ($1, $2, $3);
            $name =~ s/^.*://;  # static functions are titled "file:name"
            $size{$name} = $n if !defined $size{$name} || $size{$name} < $n;
            $bad{$name} = $kind if $kind =~ /dynamic/ && $kind !~ /bounded/;
        } elsif ($l =~ /^edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"/) {
            my ($s, $t) = ($1, $2);
            s/^.*:// for ($s, $t);
            push @{ $edges{$s} }, $t;
        }
    }
    close $fh;
}

my %memo;
my %onpath;
# Deepest stack (bytes) reached from function $fn, and the path as text.
sub depth {
    my ($fn) = @_;
    return @{ $memo{$fn} } if $memo{$fn};
    die "recursion through $fn\n" if $onpath{$fn};
    if (!defined $size{$fn}) {
        $unknown{$fn} = 1;
        return (0, "$fn(?)");
    }
    $onpath{$fn} = 1;
    my ($best, $bpath) = (0, "");
    my %seen;
    for my $t (@{ $edges{$fn} || [] }) {
        next if $seen{$t}++;
        my ($d, $p) = depth($t);
        ($best, $bpath) = ($d, $p) if $d > $best;
    }
    delete $onpath{$fn};
    my @r = ($size{$fn} + $best, $bpath eq "" ? "$fn($size{$fn})" : "$fn($size{$fn}) > $bpath");
    $memo{$fn} = \@r;
    return @r;
}

my @entries = qw(mlkem_keygen mlkem_keygen_internal mlkem_keygen_seed mlkem_encaps mlkem_encaps_internal
                 mlkem_decaps mlkem_check_ek mlkem_check_dk
                 mlkem_ek_expand mlkem_dk_expand mlkem_encaps_expanded mlkem_encaps_expanded_internal
                 mlkem_decaps_expanded);
my ($n, $failed) = (0, 0);
for my $e (@entries) {
    $n++;
    my ($d, $p);
    eval { ($d, $p) = depth($e); 1 } or do {
        print "not ok $n - $e: $@"; $failed++; next;
    };
    my $ok = defined $size{$e} && $d <= $limit;
    $failed++ unless $ok;
    printf "%sok %d - %s: worst-case kernel stack %d bytes (limit %d)\n", $ok ? "" : "not ", $n, $e, $d, $limit;
    print "#   $p\n";
}
$n++;
my @unb = sort keys %bad;
printf "%sok %d - no unbounded dynamic stack frames%s\n", @unb ? "not " : "", $n, @unb ? ": @unb" : "";
$failed++ if @unb;
print "# callees outside the graph, counted as 0: ", join(" ", sort keys %unknown), "\n";
print "1..$n\n";
exit($failed ? 1 : 0);
