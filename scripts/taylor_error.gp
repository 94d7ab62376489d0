# gnuplot script: the error of the Taylor polynomials T_1..T_5 of the running example f(x, z)
# (README, Sources) against the step |delta|, on log scales (slopes K + 1). Input: the CSV of
# examples/taylor_error.cpp.
#   gnuplot -e "input='taylor_error.csv'; output='taylor_error.png'" scripts/taylor_error.gp
set terminal pngcairo size 800,560 noenhanced
set output output
set datafile separator ','
set logscale xy
set format y '%.0e'
set xlabel '|delta|'
set ylabel '|f(p + delta) - T_K(p + delta)|'
set title 'Taylor polynomials of exp(xz) + xz/ln x + sin(ln x)/(xz) at (2, 3): error ~ |delta|^(K+1)'
set key left top
set grid
plot for [k=2:6] input using 1:k with linespoints lw 2 pt 7 title sprintf('K = %d', k - 1)
