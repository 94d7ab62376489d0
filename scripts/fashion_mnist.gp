# gnuplot script: the training curve of examples/fashion_mnist.cpp (its CSV: epoch, train loss,
# train accuracy, test loss, test accuracy, samples/s): accuracy on the left axis, loss on the right.
#   gnuplot -e "input='fashion_mnist.csv'; output='fashion_mnist.png'" scripts/fashion_mnist.gp
set terminal pngcairo size 800,600 noenhanced
set output output
set datafile separator ','
set key autotitle columnhead
set xlabel 'epoch'
set ylabel 'accuracy'
set y2label 'mean cross-entropy'
set ytics nomirror
set y2tics
set title 'tapeless::nn, 784-256-128-10 on Fashion-MNIST'
set key below horizontal
set grid
plot input using 1:3 with linespoints lw 2 pt 7 title 'train accuracy', \
     input using 1:5 with linespoints lw 2 pt 7 title 'test accuracy', \
     input using 1:2 axes x1y2 with lines lw 1 dt 2 title 'train loss', \
     input using 1:4 axes x1y2 with lines lw 1 dt 2 title 'test loss'
